# One image for every sarwatch service; the command picks the role (run, feed, ...).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY shared ./shared
COPY services ./services
# The EventBridge rule's pattern: `sarwatch infra` deploys it and the local EventBridge applies it.
COPY infra/eventbridge ./infra/eventbridge
# The default alert rules, loaded when ALERT_RULES_FILE is not set.
COPY infra/alerts ./infra/alerts
RUN npm ci --no-audit --no-fund && npx tsc -b && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
ENTRYPOINT ["node", "services/cli/dist/bin.js"]
CMD ["run"]
