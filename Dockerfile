# syntax=docker/dockerfile:1
# opsgate: multi-stage build on the current Node LTS. Build with: docker build -t opsgate .

# --- build: all dependencies (native better-sqlite3 builds here), compile TypeScript, then prune dev deps ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsconfig.build.json leaves out src/fakes and src/sandbox: the image holds production code only.
RUN npm run build && npm prune --omit=dev

# --- runtime: production dependencies and compiled output only, non-root ---
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    OPSGATE_STORE=sqlite:/data/opsgate.db
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1's child of nothing, so SIGTERM reaches it directly; main.ts drains and exits 0.
# --init style reaping is not needed: opsgate spawns no children.
STOPSIGNAL SIGTERM
CMD ["node", "dist/app/main.js"]
