// A Linux laptop as the doctor's platform check sees it: the facts recommendation tests start from.
import type {PlatformFacts} from '../../source/engine/doctor/types.js';

export const linuxFacts: PlatformFacts = {
	os: 'linux',
	arch: 'x64',
	kernel: '6.8.0-45-generic',
	wsl: null,
	wslDistro: null,
	systemd: true,
	cpus: 8,
	memoryMiB: 16_000,
	userBin: '/home/dev/.local/share/todo-deploy/bin',
	userBinForShell: '$HOME/.local/share/todo-deploy/bin',
	userBinOnPath: true,
};
