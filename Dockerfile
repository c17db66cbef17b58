# One image for every role. Debian trixie (glibc 2.41) so uWebSockets.js loads.
FROM node:22-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-trixie-slim
WORKDIR /app
ENV NODE_ENV=production PORT=2567
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY events ./events
COPY commands ./commands
COPY rooms ./rooms
COPY projections ./projections
COPY infra ./infra
USER node
EXPOSE 2567
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "infra/main.ts"]
