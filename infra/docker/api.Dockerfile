# Runway API image: the bundled server plus its external (native/wasm) dependencies.
# Build from the repository root: docker build -f infra/docker/api.Dockerfile -t runway-api .
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm i -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
RUN npm i -g pnpm@12.4.2
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
