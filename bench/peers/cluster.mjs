// Runs `serve` in WORKERS processes sharing one listening socket. SCHED_NONE lets the kernel hand connections
// to the workers directly (no round-robin through the primary, which would otherwise spend CPU on every accept).
// Prints "ready <port>" once every worker listens; SIGTERM to the primary stops them all.
import cluster from 'node:cluster';

export async function runCluster(name, workers, serve) {
  if (cluster.isPrimary && workers > 1) {
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    let listening = 0;
    let stopping = false;
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.on('listening', (_w, address) => {
      if (++listening === workers) console.log(`ready ${address.port} (${name}, ${workers} processes)`);
    });
    cluster.on('exit', (w, code, signal) => {
      if (!stopping) {
        console.error(`${name}: worker ${w.process.pid} exited (${code ?? signal})`);
        process.exit(1);
      }
    });
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
      setTimeout(() => process.exit(0), 2000).unref();
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers).length === 0) process.exit(0);
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  const port = await serve();
  if (workers <= 1) console.log(`ready ${port} (${name}, 1 process)`);
  process.on('SIGTERM', () => process.exit(0));
}
