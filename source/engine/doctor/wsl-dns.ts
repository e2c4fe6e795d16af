// WSL 2's name resolution, which a VPN on Windows or Docker Desktop's network changes break: the
// distro then says "Temporary failure in name resolution" for every registry, so images, kind's node
// and minikube's never download, while Windows resolves the same names. Read from /etc/resolv.conf and
// /etc/wsl.conf, and one look-up of the registry pulls need (microsoft/WSL#11445, #4285, #5611).
import type {System} from '../../adapters/system.js';

export type WslDns = {
	readonly nameservers: readonly string[];
	/** /etc/wsl.conf has generateResolvConf = false: WSL no longer writes /etc/resolv.conf. */
	readonly ownResolvConf: boolean;
	/** What looking up the registry answered: ok, or the resolver's code. */
	readonly answer: string;
};

/** The host every pull from Docker Hub needs first. */
export const pullHost = 'registry-1.docker.io';

export async function readWslDns(system: System): Promise<WslDns> {
	const [resolv, wslConf] = await Promise.all([system.readFile('/etc/resolv.conf'), system.readFile('/etc/wsl.conf')]);
	const nameservers = (resolv ?? '').split('\n').flatMap(line => /^\s*nameserver\s+(\S+)/.exec(line)?.[1] ?? []);
	const ownResolvConf = /^\s*generateResolvConf\s*=\s*(false|0|no)\b/im.test(wslConf ?? '');
	return {nameservers, ownResolvConf, answer: nameservers.length > 0 ? await system.resolves(pullHost, 3000) : 'no nameserver'};
}

/** What is wrong with it, and the fix; undefined when names resolve (or a proxy resolves them instead). */
export function wslDnsProblem(dns: WslDns, proxied: boolean): {readonly detail: string; readonly fix: string} | undefined {
	if (dns.nameservers.length === 0) {
		return {
			detail: `This distro has no DNS server: /etc/resolv.conf is missing or names none${dns.ownResolvConf ? ' (/etc/wsl.conf has generateResolvConf = false, so WSL does not write it, and no file of your own is there)' : ''}. No name resolves, so no image, nor kind's or minikube's node, can be pulled.`,
			fix: dns.ownResolvConf
				? 'Write it: sudo rm -f /etc/resolv.conf && echo "nameserver DNS_SERVER" | sudo tee /etc/resolv.conf (Get-DnsClientServerAddress in PowerShell lists the ones Windows uses), or remove generateResolvConf = false from /etc/wsl.conf and run wsl --shutdown in PowerShell.'
				: 'Run wsl --shutdown in PowerShell and open WSL again: WSL writes /etc/resolv.conf when it starts.',
		};
	}

	if (dns.answer === 'ok' || proxied) {
		return undefined;
	}

	return {
		detail: `Names do not resolve in this distro: ${pullHost} gives ${dns.answer === 'EAI_AGAIN' ? '"Temporary failure in name resolution" (EAI_AGAIN)' : dns.answer === 'TIMEOUT' ? 'no answer within 3 s' : dns.answer}, from ${dns.nameservers.join(', ')}. Under WSL's NAT a VPN on Windows, or a change Docker Desktop made to the network, leaves the distro asking a resolver that no longer answers, while Windows resolves the same names; every pull would fail.`,
		fix: `In %UserProfile%\\.wslconfig set [wsl2] dnsTunneling=true (WSL 2.0.5 and later; or networkingMode=mirrored), then wsl --shutdown in PowerShell. If it still fails: generateResolvConf = false under [network] in /etc/wsl.conf, and an /etc/resolv.conf of your own with the VPN's DNS servers (Get-DnsClientServerAddress in PowerShell lists them).`,
	};
}
