// The ceiling on this machine: bare node:http answering a fixed JSON body, started by the bench on PORT.
import { createServer } from 'node:http';

const body = JSON.stringify({ hello: 'world' });
const port = Number(process.argv[2]);

createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}).listen(port, '127.0.0.1');
