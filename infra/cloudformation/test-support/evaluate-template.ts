/**
 * A CloudFormation template as it would deploy with given parameter values, for the template tests: what the tests
 * check is what CloudFormation would create, not the template's text. Test support only, not shipped.
 *
 * It is strict on purpose: whatever it cannot evaluate the way CloudFormation would (a parameter the template does not
 * declare, a Ref or a Fn::Sub variable with no value, a function it does not know, an argument of the wrong shape)
 * throws, so that a test never passes on a half-evaluated template.
 */

export type Json = Record<string, unknown>;

/** A resource as deployed. Its Properties are evaluated, so the tests read plain values. */
export interface Resource {
  Type: string;
  Condition?: string;
  Metadata?: Json;
  Properties: Json;
}

export interface Deployment {
  /** The resources whose Condition holds, every intrinsic function resolved and AWS::NoValue removed. */
  resources: Record<string, Resource>;
  /** The Value of each output whose Condition holds. */
  outputs: Record<string, unknown>;
  /** Every condition of the template, decided. */
  conditions: Record<string, boolean>;
  /** The AssertDescription of each Rules assertion these parameters break: CloudFormation would refuse them. */
  broken: string[];
}

/** AWS::NoValue removes the property or list item it stands for; a symbol cannot be mistaken for a template value. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The template is parsed JSON: its shape is checked where it is read rather than trusted through a cast. */
function record(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  }
  return value as Json;
}
function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string: ${JSON.stringify(value)}`);
  return value;
}
function texts(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list: ${JSON.stringify(value)}`);
  return value.map((item, index) => text(item, `${what}[${index}]`));
}
function flag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${what} is not a condition: ${JSON.stringify(value)}`);
  return value;
}
/** The arguments of a function that takes a list of exactly `count` of them. */
function argsOf(value: unknown, count: number, name: string): unknown[] {
  if (!Array.isArray(value) || value.length !== count) {
    throw new Error(`${name} takes ${count} arguments: ${JSON.stringify(value)}`);
  }
  return value;
}
function twoTexts(value: unknown, name: string): [string, string] {
  const [first, second] = argsOf(value, 2, name);
  return [text(first, name), text(second, name)];
}

/**
 * Parameter values as CloudFormation resolves them: the given value, else the template's Default (a template without
 * one must be given a value), as text; a List<...> or CommaDelimitedList parameter as the list of its items.
 */
function parameterValues(
  declared: Json,
  given: Readonly<Record<string, string>>,
): Record<string, string | string[]> {
  // A misspelt parameter would otherwise leave the default in place, and the test would check the wrong stack.
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`parameter ${name} is not declared by the template`);
  }
  const values: Record<string, string | string[]> = {};
  for (const [name, raw] of Object.entries(declared)) {
    const parameter = record(raw, `parameter ${name}`);
    const type = text(parameter.Type, `the Type of parameter ${name}`);
    const value = given[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
    if (value === undefined) throw new Error(`parameter ${name} has no default and was not given`);
    values[name] = type.startsWith('List<') || type === 'CommaDelimitedList' ? value.split(',') : value;
  }
  return values;
}

/**
 * Deploys `template` on paper. A Ref to a resource reads `<Name>` and a Fn::GetAtt `<Name.Attribute>`: the tests can
 * see what points where without an account. `pseudo` gives AWS::Region, AWS::AccountId and the like.
 */
export function deploy(
  template: Json,
  given: Readonly<Record<string, string>>,
  pseudo: Readonly<Record<`AWS::${string}`, string>>,
): Deployment {
  const values: Record<string, string | string[]> = {
    ...pseudo,
    ...parameterValues(record(template.Parameters ?? {}, 'Parameters'), given),
  };
  const resources = record(template.Resources ?? {}, 'Resources');
  const conditions = record(template.Conditions ?? {}, 'Conditions');

  const decided: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) throw new Error(`no condition ${name}`);
    decided[name] ??= flag(evaluate(conditions[name]), `condition ${name}`);
    return decided[name];
  };
  const conditionOf = (owner: Json, what: string) =>
    owner.Condition === undefined || condition(text(owner.Condition, `the Condition of ${what}`));

  // CloudFormation refuses a Ref or Fn::GetAtt to a resource its condition leaves out (outside the Fn::If branch
  // that is not taken, which is never evaluated here).
  const resourceNamed = (name: string, by: string): string => {
    if (!(name in resources)) throw new Error(`${by} to unknown ${name}`);
    if (!conditionOf(record(resources[name], `resource ${name}`), `resource ${name}`)) {
      throw new Error(`${by} to ${name}, which these parameters leave out`);
    }
    return name;
  };
  const ref = (name: string): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in values) return values[name];
    return `<${resourceNamed(name, 'Ref')}>`;
  };
  const getAtt = (resource: string, attribute: string) =>
    `<${resourceNamed(resource, 'Fn::GetAtt')}.${attribute}>`;

  const sub = (arg: unknown): string => {
    const [source, vars] = typeof arg === 'string' ? [arg, {}] : argsOf(arg, 2, 'Fn::Sub');
    const variables = record(vars, 'the variables of Fn::Sub');
    // ${!Literal} is written as ${Literal}; any other ${...} must have a value, or CloudFormation rejects the template.
    return text(source, 'the text of Fn::Sub').replace(/\$\{([^}]*)\}/g, (_, key: string) => {
      if (key.startsWith('!')) return `\${${key.slice(1)}}`;
      if (key in variables) return text(variables[key], `Fn::Sub variable ${key}`);
      const dot = key.indexOf('.');
      if (dot > 0) return getAtt(key.slice(0, dot), key.slice(dot + 1));
      return text(ref(key), `Fn::Sub: the value of \${${key}}`);
    });
  };

  const evaluate = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(evaluate).filter((item) => item !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node);
    const [name, raw] = entries[0] ?? ['', undefined];
    // { "Condition": "Name" } inside Fn::And, Fn::Or and Fn::Not stands for that condition's value.
    if (entries.length === 1 && name === 'Condition' && typeof raw === 'string') return condition(raw);
    if (entries.length !== 1 || !(name === 'Ref' || name.startsWith('Fn::'))) {
      return Object.fromEntries(
        entries.map(([key, value]) => [key, evaluate(value)]).filter(([, value]) => value !== NO_VALUE),
      );
    }
    // Fn::If evaluates only the branch taken (the other may refer to a resource left out); Ref and Fn::GetAtt name
    // things rather than take values.
    if (name === 'Fn::If') {
      const [test, yes, no] = argsOf(raw, 3, 'Fn::If');
      return evaluate(condition(text(test, 'the condition of Fn::If')) ? yes : no);
    }
    if (name === 'Ref') return ref(text(raw, 'Ref'));
    if (name === 'Fn::GetAtt') {
      // Both forms: ["Name", "Attribute"] and "Name.Attribute".
      const [resource, attribute] =
        typeof raw === 'string' ? raw.split(/\.(.*)/s) : twoTexts(raw, 'Fn::GetAtt');
      return getAtt(text(resource, 'Fn::GetAtt'), text(attribute, 'Fn::GetAtt'));
    }
    const arg = evaluate(raw);
    switch (name) {
      case 'Fn::Sub':
        return sub(arg);
      case 'Fn::Split': {
        const [delimiter, source] = twoTexts(arg, name);
        return source.split(delimiter);
      }
      case 'Fn::Join': {
        const [delimiter, items] = argsOf(arg, 2, name);
        return texts(items, `the list of ${name}`).join(text(delimiter, `the delimiter of ${name}`));
      }
      case 'Fn::Select': {
        const [index, items] = argsOf(arg, 2, name);
        if (!Array.isArray(items)) throw new Error(`${name} needs a list: ${JSON.stringify(items)}`);
        const at = Number(index);
        if (!Number.isInteger(at) || at < 0 || at >= items.length) {
          throw new Error(`${name}: no item ${JSON.stringify(index)} in ${JSON.stringify(items)}`);
        }
        return items[at];
      }
      // Parameters and literals compared are text; comparing a list or an object is a template mistake.
      case 'Fn::Equals': {
        const [left, right] = twoTexts(arg, name);
        return left === right;
      }
      case 'Fn::Not':
        return !flag(argsOf(arg, 1, name)[0], name);
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg))
          throw new Error(`${name} takes a list of conditions: ${JSON.stringify(arg)}`);
        const tests = arg.map((item) => flag(item, name));
        return name === 'Fn::And' ? tests.every(Boolean) : tests.some(Boolean);
      }
      // A Rules function: whether the list holds the value.
      case 'Fn::Contains': {
        const [items, value] = argsOf(arg, 2, name);
        return texts(items, `the list of ${name}`).includes(text(value, `the value of ${name}`));
      }
      default:
        throw new Error(`${name} is not evaluated here`);
    }
  };

  const deployed: Record<string, Resource> = {};
  for (const [name, raw] of Object.entries(resources)) {
    const resource = record(raw, `resource ${name}`);
    if (conditionOf(resource, `resource ${name}`)) {
      const evaluated = record(evaluate(resource), `resource ${name}`);
      text(evaluated.Type, `the Type of resource ${name}`);
      deployed[name] = { ...evaluated, Properties: record(evaluated.Properties ?? {}, name) } as Resource;
    }
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(record(template.Outputs ?? {}, 'Outputs'))) {
    const output = record(raw, `output ${name}`);
    if (conditionOf(output, `output ${name}`)) outputs[name] = evaluate(output.Value);
  }
  for (const name of Object.keys(conditions)) condition(name);

  const broken: string[] = [];
  for (const [name, raw] of Object.entries(record(template.Rules ?? {}, 'Rules'))) {
    const rule = record(raw, `rule ${name}`);
    if (rule.RuleCondition !== undefined && !flag(evaluate(rule.RuleCondition), `rule ${name}`)) continue;
    if (!Array.isArray(rule.Assertions)) throw new Error(`rule ${name} has no Assertions`);
    for (const item of rule.Assertions) {
      const assertion = record(item, `an assertion of rule ${name}`);
      const description = text(assertion.AssertDescription, `an AssertDescription of rule ${name}`);
      if (!flag(evaluate(assertion.Assert), description)) broken.push(description);
    }
  }
  return { resources: deployed, outputs, conditions: decided, broken };
}
