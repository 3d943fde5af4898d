#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { bootstrapOwner } from './accounts/bootstrap-owner';
import { ACCOUNT_USAGE, runAccountCommand, UsageError } from './cli/account-commands';
import { MODELS_USAGE, runModelCommand } from './cli/model-commands';
import { ConfigError, loadConfig, type Config } from './config';
import { buildApp } from './http/app';
import { Drain } from './http/drain';
import { closeServer, httpLimitsOf, listen } from './http/server';
import { createLogger, type Logger } from './log';
import { configuredSecrets } from './log-scrub';
import { startMetricsServer } from './metrics/metrics-server';
import { startHousekeeping } from './queue/housekeeping';
import { startWorkers } from './queue/workers';
import { ensureRedis, type PrivateRedis } from './redis/private-redis';
import { createRedis } from './redis/redis-connection';
import { createServices, type Services } from './services';
import { checkFfmpeg } from './startup/check-ffmpeg';
import { reportTranscripts } from './startup/check-transcripts';
import { checkRedis } from './startup/check-redis';
import { sweepTempDir } from './startup/sweep-temp';
import { ModelInstallError } from './transcripts/install-model';
import { runDoctor } from './submissions/doctor';
import { rebuildIndex } from './submissions/rebuild-index';
import { reconcileSubmissions } from './submissions/reconcile-submissions';

const COMMANDS = [
  'all',
  'api',
  'worker',
  'reindex',
  'reconcile',
  'doctor',
  'user',
  'token',
  'models',
] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `usage: hallo [all|api|worker|reindex|reconcile|doctor|user …|token …|models …]
  all        API and worker in one process (default; the embedded setup)
  api        only the HTTP API
  worker     only the workers (transcoding, notifications, daily housekeeping)
  reindex    rebuild the Redis index from storage alone
  reconcile  queue again every submission whose processing did not finish
  doctor [--fix]  report (and repair) orphan objects, stale index entries, stuck jobs
${ACCOUNT_USAGE}
${MODELS_USAGE}`;

async function startRoles(command: 'all' | 'api' | 'worker', services: Services, logger: Logger) {
  const { config } = services;
  let server: Server | undefined;
  let drain: Drain | undefined;
  let workers: Worker[] = [];
  let blocking: Redis | undefined;
  let housekeeping: { stop(): void } | undefined;
  if (command !== 'api') {
    await checkFfmpeg(config.FFMPEG_PATH, config.DENOISE_MODEL);
    await reportTranscripts(config, logger);
    blocking = createRedis(config.REDIS_URL, 'blocking');
    workers = startWorkers(services, blocking);
    housekeeping = startHousekeeping(services);
    logger.info({ queues: workers.map((w) => w.name) }, 'workers started');
  }
  const metricsServer = config.METRICS_PORT
    ? await startMetricsServer(services.metrics, config.METRICS_PORT, config.METRICS_HOST)
    : undefined;
  if (command !== 'worker') {
    drain = new Drain();
    server = await listen(buildApp({ ...services, drain }), config.PORT, httpLimitsOf(config));
    drain.attach(server);
    const { port } = server.address() as AddressInfo;
    logger.info(
      { port, url: config.PUBLIC_URL, storage: config.STORAGE_DRIVER },
      'hallo is listening',
    );
  }
  return async () => {
    if (server) await closeServer(server, config.SHUTDOWN_GRACE_SECONDS * 1000, drain);
    housekeeping?.stop();
    metricsServer?.close();
    await Promise.all(workers.map((worker) => worker.close()));
    blocking?.disconnect();
  };
}

function loadEnvFileKeepingEnvironment(file: string): void {
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (process.env[name] === undefined) process.env[name] = value;
  }
}

async function main(): Promise<void> {
  const command = (process.argv[2] ?? 'all') as Command;
  if (!COMMANDS.includes(command)) {
    console.error(USAGE);
    process.exit(2);
  }
  // A .env beside the process (written by scripts/quickstart.sh) counts, but the environment wins.
  if (existsSync('.env')) loadEnvFileKeepingEnvironment('.env');
  const config: Config = loadConfig();
  // Models are files on this machine: no Redis, no storage driver needed.
  if (command === 'models') {
    console.log(await runModelCommand(config, process.argv.slice(3)));
    return;
  }
  const logger = createLogger(
    config.LOG_LEVEL,
    { role: command },
    { secrets: configuredSecrets(config) },
  );
  let privateRedis: PrivateRedis | undefined;
  if (config.REDIS_AUTOSTART && command !== 'api' && command !== 'worker') {
    privateRedis = await ensureRedis(
      config.REDIS_URL,
      path.join(config.STORAGE_DIR, 'redis'),
      logger,
    );
  }
  try {
    const services = await createServices(config, logger);
    await checkRedis(services.redis, config.REDIS_URL, logger);
    await services.store.check().catch((error: unknown) => {
      throw new Error(
        `Storage (${config.STORAGE_DRIVER}) cannot be used: ${(error as Error).message}`,
      );
    });
    await sweepTempDir(services.tempDir, logger);

    if (command === 'user' || command === 'token') {
      try {
        console.log(await runAccountCommand(services, command, process.argv.slice(3)));
      } finally {
        await services.close();
      }
      return;
    }
    if (command === 'reindex' || command === 'reconcile' || command === 'doctor') {
      const result =
        command === 'reindex'
          ? await rebuildIndex(services.documents, services.index)
          : command === 'doctor'
            ? await runDoctor(services, process.argv.includes('--fix'))
            : await reconcileSubmissions(services);
      console.log(JSON.stringify(result));
      await services.close();
      await privateRedis?.stop();
      return;
    }
    if (command === 'all') {
      const owner = await bootstrapOwner(services.accounts, config.OWNER_EMAIL);
      if (owner) {
        // Printed, not logged: logs are kept and shipped; this is for the person at the terminal.
        console.log(
          `\nCreated the owner account (shown once; change it with "hallo user reset"):\n` +
            `  e-mail:   ${owner.email}\n  password: ${owner.password}\n`,
        );
      }
    }
    await serve(command, services, logger, privateRedis);
  } catch (error) {
    await privateRedis?.stop();
    throw error;
  }
}

/** Runs the roles until SIGTERM or SIGINT, then shuts down in order and exits 0. */
async function serve(
  command: 'all' | 'api' | 'worker',
  services: Services,
  logger: Logger,
  privateRedis?: PrivateRedis,
) {
  const stopRoles = await startRoles(command, services, logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Uploads and jobs get the grace period; whatever still hangs then (say, an unreachable Redis
    // under a closing worker) must not keep the process alive. A job cut short is handed back.
    const deadline = setTimeout(
      () => {
        logger.error('shutdown did not finish in time; exiting');
        process.exit(1);
      },
      services.config.SHUTDOWN_GRACE_SECONDS * 1000 + 5000,
    );
    deadline.unref();
    await stopRoles();
    await services.close();
    await privateRedis?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof ModelInstallError) console.error(`${error.code}: ${error.message}`);
  else console.error(`hallo could not start: ${(error as Error).message ?? error}`);
  process.exit(1);
});
