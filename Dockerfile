# syntax=docker/dockerfile:1
# Bibarys as a container. The build stage runs scripts/release.sh — the very script the release
# test (test/ops/release.e2e-spec.ts) runs — and the runtime stage takes only what it produced:
# dist/, package.json, package-lock.json and the production dependencies.

# --- build: sources, dev dependencies and the toolchain better-sqlite3 compiles with -----------
FROM node:22-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# the dashboard's screens (built into dist/dashboard/) and the typed client they call the API with
COPY dashboard ./dashboard
COPY clients ./clients
RUN bash scripts/release.sh /release

# --- runtime: no sources, no compiler, no dev dependencies, not root ---------------------------
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=8001 \
    DATABASE_PATH=/data/bibarys.sqlite
WORKDIR /app
COPY --from=build /release ./
RUN mkdir -p /data && chown node:node /data
USER node
# the SQLite database (unused when DATABASE_URL points to PostgreSQL)
VOLUME ["/data"]
EXPOSE 8001
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8001)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# the same command as `npm run start:prod`, without npm in between (signals reach Node directly)
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=4", "dist/main.js"]
