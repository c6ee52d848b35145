import type { Rng } from './prng.js';
import { type Application, semver } from './world.js';

/**
 * The document bodies a publisher uploads with CreateApplication / CreateApplicationVersion / UpdateApplication.
 * They are what makes write records several kilobytes, so they are kept close to what real small applications
 * carry: a SAM template of one function with a trigger, a short README and a license.
 */

const HANDLER_BY_RUNTIME: Readonly<Record<string, string>> = {
  'python3.12': 'app.handler',
  'python3.11': 'app.handler',
  'nodejs20.x': 'index.handler',
  'nodejs18.x': 'index.handler',
  java21: 'example.Handler::handleRequest',
  'provided.al2023': 'bootstrap',
};

const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Parameters the application declares; also returned as `parameterDefinitions` and used for overrides. */
export interface ParameterDefinition {
  name: string;
  description: string;
  type: string;
}

export function templateParameters(
  app: Application,
): [ParameterDefinition, ParameterDefinition, ParameterDefinition] {
  return [
    { name: 'LogLevel', description: 'Log level of the function', type: 'String' },
    { name: 'TimeoutSeconds', description: 'Function timeout in seconds', type: 'Number' },
    { name: `${pascal(app.name)}TopicArn`, description: 'SNS topic that receives results', type: 'String' },
  ];
}

export function samTemplate(app: Application, rng: Rng): string {
  const fn = `${pascal(app.name)}Function`;
  const [level, timeout, topic] = templateParameters(app);
  const schedule = rng.pick(['rate(5 minutes)', 'rate(1 hour)', 'cron(0 6 * * ? *)']);
  return [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    `Description: ${app.description}`,
    'Metadata:',
    '  AWS::ServerlessRepo::Application:',
    `    Name: ${app.name}`,
    `    Description: ${app.description}`,
    `    Author: ${app.owner.team}`,
    `    Labels: [${app.labels.join(', ')}]`,
    `    SemanticVersion: ${semver(app.version)}`,
    'Parameters:',
    `  ${level.name}:`,
    `    Type: ${level.type}`,
    '    Default: INFO',
    '    AllowedValues: [DEBUG, INFO, WARN, ERROR]',
    `  ${timeout.name}:`,
    `    Type: ${timeout.type}`,
    `    Default: ${rng.pick([10, 30, 60, 300])}`,
    `  ${topic.name}:`,
    `    Type: ${topic.type}`,
    'Resources:',
    `  ${fn}:`,
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    `      Handler: ${HANDLER_BY_RUNTIME[app.runtime] ?? 'index.handler'}`,
    `      Runtime: ${app.runtime}`,
    '      CodeUri: src/',
    `      MemorySize: ${rng.pick([128, 256, 512, 1024])}`,
    `      Timeout: !Ref ${timeout.name}`,
    '      Environment:',
    '        Variables:',
    `          LOG_LEVEL: !Ref ${level.name}`,
    `          TOPIC_ARN: !Ref ${topic.name}`,
    '      Policies:',
    '        - SNSPublishMessagePolicy:',
    `            TopicName: !Select [5, !Split [':', !Ref ${topic.name}]]`,
    '      Events:',
    '        Schedule:',
    '          Type: Schedule',
    '          Properties:',
    `            Schedule: ${schedule}`,
    'Outputs:',
    `  ${fn}Arn:`,
    `    Value: !GetAtt ${fn}.Arn`,
    '',
  ].join('\n');
}

export function readme(app: Application): string {
  return [
    `# ${app.name}`,
    '',
    `${app.description}.`,
    '',
    '## Parameters',
    '',
    ...templateParameters(app).map((p) => `- \`${p.name}\` (${p.type}): ${p.description}.`),
    '',
    '## License',
    '',
    'MIT. See LICENSE.',
    '',
  ].join('\n');
}

export function mitLicense(app: Application, year: number): string {
  return [
    'MIT License',
    '',
    `Copyright (c) ${year} ${app.owner.team}`,
    '',
    'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and',
    'associated documentation files (the "Software"), to deal in the Software without restriction, including',
    'without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell',
    'copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the',
    'following conditions:',
    '',
    'The above copyright notice and this permission notice shall be included in all copies or substantial',
    'portions of the Software.',
    '',
    'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED.',
    '',
  ].join('\n');
}
