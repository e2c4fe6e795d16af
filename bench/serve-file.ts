// A loopback file server for the download benchmark, in its own process so it never shares an event loop with a client.
import {createReadStream, statSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';

const file = process.argv[2] ?? '';
const size = statSync(file).size;
const server = http.createServer((_request, response) => {
	response.writeHead(200, {'content-type': 'application/octet-stream', 'content-length': String(size)});
	createReadStream(file, {highWaterMark: 1024 * 1024}).pipe(response);
});
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/file\n`);
});
