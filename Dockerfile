# syntax=docker/dockerfile:1
# One image for every role (PANTHEON_ROLE=game|projector|relay|audit|discord|narrator|all).
# Runtime: Debian trixie (glibc 2.41, so uWebSockets.js loads) and the very Node 22 the
# tests run on: the `node` devDependency's binary, copied out of the build stage. Node 22
# runs the TypeScript sources directly (type stripping): there is no compile step.

# --- build: install exactly what package-lock.json says ---------------------------------
FROM node:22-trixie-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends binutils \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Every dependency, the `node` devDependency (the project's pinned Node 22) included...
RUN npm ci --no-audit --no-fund \
 && install -m 0755 node_modules/node/bin/node /usr/local/bin/node-pinned \
 && strip /usr/local/bin/node-pinned \
 && /usr/local/bin/node-pinned --version
# The web pages (Vite, a devDependency) into node_modules/.cache/pantheon/web, which the runtime copies...
COPY infra/web ./infra/web
RUN node_modules/.bin/node infra/web/build.ts
# ...then the production dependencies only.
RUN npm prune --omit=dev --no-audit --no-fund

# --- runtime ------------------------------------------------------------------------------
FROM debian:trixie-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pantheon \
 && useradd --system --uid 10001 --gid pantheon --home-dir /app --shell /usr/sbin/nologin pantheon
COPY --from=build /usr/local/bin/node-pinned /usr/local/bin/node
WORKDIR /app
ENV NODE_ENV=production \
    PORT=2567 \
    PANTHEON_ROLE=all \
    PANTHEON_DATA_DIR=/app/data
COPY --from=build /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY events ./events
COPY commands ./commands
COPY rooms ./rooms
COPY projections ./projections
COPY infra ./infra
# The embedded store (PGlite, when DATABASE_URL is unset) writes here.
RUN mkdir -p /app/data && chown pantheon:pantheon /app/data
VOLUME ["/app/data"]
USER 10001:10001
EXPOSE 2567
# Every role answers /healthz on PORT (the game server, or the ops server of the other roles).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||2567)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains (infra/drain.ts): give the container PANTHEON_DRAIN_SECONDS plus a margin to stop.
STOPSIGNAL SIGTERM
CMD ["node", "infra/main.ts"]
