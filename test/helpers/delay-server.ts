// A server with a known delay, in its own process (so the load tool under test does not share its
// event loop): every request is answered after DELAY_MS.
import http from 'node:http';

const delay = Number(process.env['DELAY_MS'] ?? '50');
const server = http.createServer((request, response) => {
	request.resume();
	setTimeout(() => {
		const body = request.url === '/ready' || request.url === '/health' ? '{"status":"ok"}' : '[]';
		response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
		response.end(body);
	}, delay);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
