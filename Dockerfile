# One image for every sarwatch service; the command picks the role: `run` (the enricher, the default), `notify`,
# `feed`, `tail`, `infra`...
#
#   docker build -t sarwatch .
#   docker run --rm -e KAFKA_BROKERS=... -e KINESIS_STREAM_NAME=... sarwatch            # sarwatch run
#   docker run --rm -e METRICS_PORT=9465 -e KAFKA_BROKERS=... -e WEBHOOK_URL=... sarwatch notify
#
# Node.js 24, the current LTS. The major is pinned; pin a digest (node:24-slim@sha256:...) for reproducible builds.

# 1. Compile the TypeScript of the CLI and of every workspace it depends on (not bench/, not the tests).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY shared ./shared
COPY services ./services
# bench/ is a workspace: npm ci wants its package.json, nothing else of it.
COPY bench/package.json ./bench/package.json
RUN npm ci --no-audit --no-fund && npx tsc -b services/cli

# 2. Production dependencies only. The workspaces are linked from node_modules/@sarwatch/* to shared/* and
# services/*, so npm needs their package.json files, and nothing else of them, to install what they need.
# No install scripts: the only one among the production dependencies is leveldown's (an optional dependency of the
# local Kinesis emulator, unused in this image), which ships prebuilt binaries anyway.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/core/package.json ./shared/core/
COPY shared/runtime/package.json ./shared/runtime/
COPY shared/kafka/package.json ./shared/kafka/
COPY services/enricher/package.json ./services/enricher/
COPY services/notifier/package.json ./services/notifier/
COPY services/feeder/package.json ./services/feeder/
COPY services/devstack/package.json ./services/devstack/
COPY services/reconciler/package.json ./services/reconciler/
COPY services/cli/package.json ./services/cli/
COPY bench/package.json ./bench/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 3. The image: Node, the production node_modules, each workspace's package.json and compiled dist/, and the
# runtime data files. Everything belongs to root and is read-only for the user the services run as.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/shared ./shared
COPY --from=deps /app/services ./services
COPY --from=deps /app/bench ./bench
COPY --from=build /app/shared/core/dist ./shared/core/dist
COPY --from=build /app/shared/runtime/dist ./shared/runtime/dist
COPY --from=build /app/shared/kafka/dist ./shared/kafka/dist
COPY --from=build /app/services/enricher/dist ./services/enricher/dist
COPY --from=build /app/services/notifier/dist ./services/notifier/dist
COPY --from=build /app/services/feeder/dist ./services/feeder/dist
COPY --from=build /app/services/devstack/dist ./services/devstack/dist
COPY --from=build /app/services/reconciler/dist ./services/reconciler/dist
COPY --from=build /app/services/cli/dist ./services/cli/dist
# The EventBridge rule's pattern: `sarwatch infra` deploys it and `sarwatch feed` applies it. Found from the root
# package.json (the one that declares the workspaces), which is why that file is here.
COPY infra/eventbridge ./infra/eventbridge
# The default alert rules, loaded when ALERT_RULES_FILE is not set.
COPY infra/alerts ./infra/alerts

# The official image's unprivileged user (uid 1000).
USER node
# /metrics, /healthz and /readyz: 9464 for `run`, 9465 for `notify`. They listen on METRICS_HOST, 127.0.0.1 by
# default: set METRICS_HOST=0.0.0.0 for Prometheus or a probe outside the container to reach them.
EXPOSE 9464 9465
# /healthz on METRICS_PORT, read when the check runs: the deployment sets METRICS_PORT=9465 for `notify`. 200 while
# the process works or can recover by itself, 503 once it cannot. Node's own fetch: the slim image has no curl.
# Commands without a metrics server (feed, tail, infra) have nothing to check: disable it for them
# (`healthcheck: {disable: true}` in compose).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT || 9464) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# glibc's allocator and the V8 flags: SARWATCH_ALLOCATOR_ENV and SARWATCH_NODE_FLAGS in
# shared/runtime/src/process-settings.ts say why (a test keeps them equal).
ENV MALLOC_MMAP_THRESHOLD_=131072
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "--max-semi-space-size=4", "--heap-growing-percent=75", "services/cli/dist/bin.js"]
CMD ["run"]
