// Docker Desktop seen from a WSL 2 distro: "not running" and "integration off" look alike (no working
// docker), but leave different marks. With the integration on, /usr/bin/docker and /var/run/docker.sock
// are links into /mnt/wsl/docker-desktop, which exists only while Docker Desktop runs. With it off, a
// running Docker Desktop puts a stand-in docker on PATH that asks to turn it on. Neither mark, with
// Docker Desktop.exe installed on Windows: it is not running.
import type {System} from '../../adapters/system.js';
import type {DesktopFacts} from './types.js';

const desktopMount = '/mnt/wsl/docker-desktop';
const desktopExe = '/mnt/c/Program Files/Docker/Docker/Docker Desktop.exe';

export async function detectDesktop(system: System): Promise<DesktopFacts> {
	const links = await Promise.all(
		['/usr/bin/docker', '/usr/local/bin/docker', '/var/run/docker.sock'].map(async file => ({file, target: await system.readLink(file)})),
	);
	const into = links.filter(link => link.target?.startsWith(desktopMount));
	const alive = await Promise.all(into.map(async link => system.exists(link.target ?? '')));
	return {
		link: into[0] ? `${into[0].file} -> ${into[0].target ?? ''}` : undefined,
		running: into.length > 0 ? alive.some(Boolean) : undefined,
		installed: await system.exists(desktopExe),
	};
}
