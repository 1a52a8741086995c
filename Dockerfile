# syntax=docker/dockerfile:1
# samenloop stream processor. Build: docker build -t samenloop .  (docker-compose.yml builds it too)
# The Node.js LTS that CI proves the project on (infra/node-lts-version, fetched by infra/node-lts.sh;
# test/unit/node-versions.test.ts keeps the two equal); bookworm-slim matches the Debian of dev and CI.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# --- build: all dependencies, compile TypeScript to dist/, then drop the dev dependencies ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm's postinstall patches kafkajs: its read_committed filter, and its join and fetches with many topics (infra/patch-kafkajs.mjs; README, "kafkajs, patched")
COPY infra/patch-kafkajs.mjs ./infra/
COPY infra/patches ./infra/patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY services ./services
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and dist/ only, as the unprivileged node user ---------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/services/cli/main.js"]
