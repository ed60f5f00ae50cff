# Kasho: one image, both services. `docker run --rm kasho` prints the help (./kasho-help);
# run a service by overriding the command: `./pg-change-stream` or `./pg-translicator`;
# `./kasho preview --table public.users` shows what the replica would receive, writing nothing.
#   docker build -t kasho .

# ---- build: compile TypeScript (dist/) with the dev dependencies -------------------------------
FROM node:20-trixie-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# ---- runtime: production dependencies, the build, the SQL setup scripts, the entry files --------
FROM node:20-trixie-slim AS runtime
ENV NODE_ENV=production
# pg_dump reads the source schema for the initial snapshot (docs/snapshot.md). It must be at least the
# source's major version: Debian trixie's postgresql-client-17 dumps every supported source (13 to 17).
# test/postgres-versions.e2e-spec.ts runs this very package (the version apt picks for trixie, read
# from this file) against each of them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-17 \
 && rm -rf /var/lib/apt/lists/*
ENV PG_DUMP=/usr/lib/postgresql/17/bin/pg_dump
RUN groupadd --system --gid 1001 kasho \
 && useradd --system --uid 1001 --gid kasho --home-dir /app --shell /usr/sbin/nologin kasho
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/ also holds the gRPC contract (dist/apps/*/libs/contracts/src/proto/kasho.proto).
COPY --from=build /src/dist ./dist
COPY sql ./sql
COPY docs ./docs
COPY README.md ./README.md
COPY environments/demo/config/transforms.yml ./examples/demo/transforms.yml
COPY pg-change-stream pg-translicator kasho kasho-help ./
# /app/config is where ./config is mounted (transforms.yml). Deliberately empty: a forgotten mount
# must fail loudly ("Required config file /app/config/transforms.yml not found ...") rather than
# replicate with someone else's rules.
RUN chmod 0755 pg-change-stream pg-translicator kasho kasho-help \
 && mkdir -p /app/config \
 && chown kasho:kasho /app/config
USER kasho

# 8080 gRPC (pg-change-stream), 8081 HTTP health of pg-change-stream, 8082 HTTP health of pg-translicator.
EXPOSE 8080 8081 8082

# Liveness of whichever service runs here: GET /health/live on $HTTP_PORT when set, otherwise on 8081
# (pg-change-stream's default) or 8082 (pg-translicator's default), whichever answers. /health/live
# calls no dependency; use /health (readiness) for load balancers and alerts.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.HTTP_PORT?[process.env.HTTP_PORT]:['8081','8082'];Promise.any(p.map(x=>fetch('http://127.0.0.1:'+x+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>{if(!r.ok)throw r.status}))).then(()=>process.exit(0),()=>process.exit(1))"]

CMD ["./kasho-help"]
