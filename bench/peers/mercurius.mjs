// Mercurius on Fastify 5 serving the API subset; see api_subset.mjs.
//   DATABASE_URL=postgresql://... PORT=4002 WORKERS=2 POOL_SIZE=8 node bench/peers/mercurius.mjs
// MERCURIUS_JIT=N turns on graphql-jit after N uses of a query (off by default, as in Mercurius itself).
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { makeContext, makePool, resolvers, settings, typeDefs } from './api_subset.mjs';
import { runCluster } from './cluster.mjs';

const s = settings();
await runCluster('mercurius', s.workers, async () => {
  const pool = makePool(s.databaseUrl, s.poolSize);
  const app = Fastify({ logger: false });
  app.register(mercurius, {
    schema: typeDefs,
    resolvers,
    jit: Number(process.env.MERCURIUS_JIT ?? 0),
    context: (request) => makeContext(pool, request.headers.authorization),
  });
  await app.listen({ port: s.port, host: s.host });
  return app.server.address().port;
});
