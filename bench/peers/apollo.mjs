// Apollo Server 5 (standalone, Node http) serving the API subset; see api_subset.mjs.
//   DATABASE_URL=postgresql://... PORT=4001 WORKERS=2 POOL_SIZE=8 node bench/peers/apollo.mjs
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { makeContext, makePool, resolvers, settings, typeDefs } from './api_subset.mjs';
import { runCluster } from './cluster.mjs';

const s = settings();
await runCluster('apollo', s.workers, async () => {
  const pool = makePool(s.databaseUrl, s.poolSize);
  const server = new ApolloServer({ typeDefs, resolvers, introspection: false });
  const { url } = await startStandaloneServer(server, {
    listen: { port: s.port, host: s.host },
    context: async ({ req }) => makeContext(pool, req.headers.authorization),
  });
  return Number(new URL(url).port);
});
