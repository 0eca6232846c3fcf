// fauxqs_server.mjs - starts the fauxqs emulator on 127.0.0.1 only.
// Usage: node fauxqs_server.mjs NODE_PREFIX PORT
// fauxqs's own CLI (startFauxqs) always listens on 0.0.0.0; tests must not open a port on
// every interface of a shared machine, so this builds the same app with buildApp() and
// listens on the loopback address itself. Prints "listening 127.0.0.1:PORT" once ready.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [prefix, portArg] = process.argv.slice(2);
if (!prefix || !portArg) {
    console.error("usage: node fauxqs_server.mjs NODE_PREFIX PORT");
    process.exit(2);
}
const app_js = join(prefix, "node_modules", "fauxqs", "dist", "app.js");
const { buildApp } = await import(pathToFileURL(app_js).href);
// host "localhost" gives the AWS-style queue URLs http://sqs.REGION.localhost:PORT/ACCOUNT/NAME
const app = buildApp({ logger: false, host: "localhost" });
try {
    await app.listen({ port: Number(portArg), host: "127.0.0.1" });
} catch (err) {
    console.error(`fauxqs: cannot listen on 127.0.0.1:${portArg}: ${err.message}`);
    process.exit(1);
}
console.log(`listening 127.0.0.1:${portArg}`);
const stop = async () => { await app.close(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
