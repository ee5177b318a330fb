# syntax=docker/dockerfile:1
# Player Activity API: the sources compiled to JavaScript (scripts/build.ts)
# plus production dependencies. Node could run the TypeScript itself, at
# ~17 MiB more RSS (README, Memory).

# --- dependencies: installed with the lockfile, without dev tools ---
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- build: dist/ from src/, with the dev dependencies (the TypeScript compiler) ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
RUN node scripts/build.ts

# --- runtime: non-root, no npm in the signal path ---
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    OPS_HOST=0.0.0.0 \
    OPS_PORT=9464 \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=8"
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json schema.graphql ./
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 4000 9464
# /health on the operators' port; node's fetch, as the slim image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.OPS_PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The process tests start exactly this (test/support/main-process.ts); node
# is PID 1's only child of note and gets SIGTERM itself: graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
