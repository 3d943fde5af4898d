# syntax=docker/dockerfile:1
# One image, two roles: `node dist/main.js api` and `node dist/main.js worker` (default: `all`).

FROM node:26-bookworm-slim AS build
# The speech engine (whisper.cpp in smart-whisper) compiles here. ENGINE_CPU is the x86-64 level it
# is built for: v3 (AVX2, 2013 on) runs about 8x faster than the baseline; use x86-64 for older CPUs.
ARG ENGINE_CPU=x86-64-v3
# Bake a speech model into the image, e.g. --build-arg TRANSCRIBE_MODEL=base-q5_1 (empty: none).
ARG TRANSCRIBE_MODEL=
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN if [ "$(uname -m)" = x86_64 ]; then export CFLAGS="-O3 -march=$ENGINE_CPU" CXXFLAGS="-O3 -march=$ENGINE_CPU"; fi; npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev
RUN mkdir -p models && if [ -n "$TRANSCRIBE_MODEL" ]; then MODELS_DIR=models node dist/main.js models install "$TRANSCRIBE_MODEL"; fi

FROM node:26-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    STORAGE_DIR=/data/storage \
    TEMP_DIR=/data/tmp \
    REDIS_AUTOSTART=false \
    MODELS_DIR=/app/models \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/models ./models
COPY package.json ./
COPY public ./public
RUN mkdir -p /data/storage /data/tmp && chown -R node:node /data
USER node
VOLUME ["/data/storage", "/data/tmp"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/main.js"]
CMD ["all"]
