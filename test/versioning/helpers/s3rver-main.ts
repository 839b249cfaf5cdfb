// Runs s3rver in its own process: `node --openssl-legacy-provider --import tsx s3rver-main.ts DIR BUCKET [LOG]`.
// s3rver encrypts listing continuation tokens with DES, which Node 20's OpenSSL 3 only offers through the legacy
// provider; the flag is given to this process alone. Prints `{"port":N}` once listening; SIGTERM stops it.
import S3rver from 's3rver';

void (async () => {
  const [directory, bucket, log] = process.argv.slice(2);
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: directory!, silent: log !== 'log', configureBuckets: [{ name: bucket! }] });
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.on('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
})();
