// A server with a known delay, in its own process (so the load tool under test does not share its
// event loop): every request is answered after DELAY_MS, and every SLOW_EVERY-th after SLOW_MS (so
// that the 95th percentile is SLOW_MS, far above what a loaded machine adds, when SLOW_EVERY is 10).
import http from 'node:http';

const delay = Number(process.env['DELAY_MS'] ?? '50');
const slowEvery = Number(process.env['SLOW_EVERY'] ?? '0');
const slowMs = Number(process.env['SLOW_MS'] ?? delay);
let served = 0;
const server = http.createServer((request, response) => {
	request.resume();
	served++;
	setTimeout(
		() => {
			const body = request.url === '/ready' || request.url === '/health' ? '{"status":"ok"}' : '[]';
			response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
			response.end(body);
		},
		slowEvery > 0 && served % slowEvery === 0 ? slowMs : delay,
	);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
