# Palier in a container (host mode: the building's router does DHCP/DNS; the box serves the web
# app). Build stage compiles the native SQLite add-on, the server and the web app; the runtime
# stage carries only production dependencies and the built files.
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PALIER_HOST=0.0.0.0 \
    PALIER_PORT=8080 \
    PALIER_DATA_DIR=/data \
    NODE_OPTIONS="--max-semi-space-size=1 --v8-pool-size=1"
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/server/dist ./server/dist
COPY --from=build /src/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PALIER_PORT+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.js"]
