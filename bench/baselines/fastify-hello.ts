// Bare Fastify (no plugins, no logger) answering a fixed JSON body: the framework's own cost over node:http.
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
void app.listen({ host: '127.0.0.1', port });
