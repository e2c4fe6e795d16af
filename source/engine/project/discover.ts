// Pure: the files of a repository -> where the backend and frontend Dockerfiles and the chart are,
// for the layouts the todo app comes in (backend/ at the root, or under a phase folder like Phase-II/).

export type ImageSource = {readonly context: string; readonly dockerfile: string};

export type Discovery = {
	readonly backend: ImageSource | undefined;
	readonly frontend: ImageSource | undefined;
	readonly chart: string | undefined;
	/** Everything that could have been chosen, so a person can pick another. */
	readonly candidates: {readonly backend: readonly ImageSource[]; readonly frontend: readonly ImageSource[]; readonly charts: readonly string[]};
	/** Why each choice was made, in words. */
	readonly notes: readonly string[];
};

const skipped = /(^|\/)(node_modules|\.git|\.venv|venv|dist|build|\.next|__pycache__|\.cache)(\/|$)/;
const backendName = /(^|[-_.])(backend|api|server|fastapi)([-_.]|$)/i;
const frontendName = /(^|[-_.])(frontend|web|client|ui|next|nextjs)([-_.]|$)/i;

const parent = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');
const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);
const depth = (dir: string) => (dir === '.' ? 0 : dir.split('/').length);

const romanValues: Readonly<Record<string, number>> = {i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10};

/** "Phase-II", "phase_3", "Phase 4" -> 2, 3, 4; anything else -> 0. The latest phase is the one to deploy. */
export function phaseOf(dir: string): number {
	const match = /(?:^|\/)phase[-_ ]?([ivx]+|\d+)(?:\/|$)/i.exec(dir);
	if (!match?.[1]) {
		return 0;
	}

	return /^\d+$/.test(match[1]) ? Number(match[1]) : (romanValues[match[1].toLowerCase()] ?? 0);
}

function rank<T>(items: readonly T[], dirOf: (item: T) => string, preferred: (item: T) => number): T[] {
	// Later phases first, then the clearest name, then the shallowest folder, then by path.
	return [...items].sort(
		(a, b) => phaseOf(dirOf(b)) - phaseOf(dirOf(a)) || preferred(b) - preferred(a) || depth(dirOf(a)) - depth(dirOf(b)) || dirOf(a).localeCompare(dirOf(b)),
	);
}

export function discoverProject(files: readonly string[]): Discovery {
	const kept = files.map(file => file.replace(/^\.\//, '')).filter(file => !skipped.test(file));
	const present = new Set(kept);
	const dockerfiles = kept.filter(file => /^Dockerfile(\.[\w-]+)?$/.test(base(file)));
	const sources = dockerfiles.map(file => ({context: parent(file), dockerfile: base(file)}));
	const has = (dir: string, name: string) => present.has(dir === '.' ? name : `${dir}/${name}`);
	const looksBackend = (source: ImageSource) =>
		backendName.test(base(source.context)) || has(source.context, 'requirements.txt') || has(source.context, 'pyproject.toml');
	const looksFrontend = (source: ImageSource) =>
		frontendName.test(base(source.context)) ||
		has(source.context, 'next.config.js') ||
		has(source.context, 'next.config.mjs') ||
		has(source.context, 'next.config.ts');
	const plain = (source: ImageSource) => Number(source.dockerfile === 'Dockerfile');
	const backends = rank(
		sources.filter(source => looksBackend(source) && !looksFrontend(source)),
		source => source.context,
		source => Number(backendName.test(base(source.context))) * 2 + plain(source),
	);
	const frontends = rank(
		sources.filter(source => looksFrontend(source) && !looksBackend(source)),
		source => source.context,
		source => Number(frontendName.test(base(source.context))) * 2 + plain(source),
	);
	const chartDirs = kept.filter(file => base(file) === 'Chart.yaml').map(file => parent(file));
	const backend = backends[0];
	const wantedPhase = backend ? phaseOf(backend.context) : 0;
	const charts = rank(
		chartDirs,
		dir => dir,
		dir => (phaseOf(dir) === wantedPhase ? 4 : 0) + (/todo/i.test(base(dir)) ? 2 : 0) + (/(^|\/)(charts|helm)\//.test(dir) ? 1 : 0),
	);
	const notes: string[] = [];
	for (const [what, list] of [
		['backend', backends],
		['frontend', frontends],
	] as const) {
		const chosen = list[0];
		if (!chosen) {
			notes.push(`No ${what} Dockerfile found${dockerfiles.length > 0 ? ` (Dockerfiles seen: ${dockerfiles.join(', ')})` : ''}.`);
		} else if (list.length > 1) {
			notes.push(
				`${what}: ${chosen.context}/${chosen.dockerfile} chosen over ${list
					.slice(1)
					.map(source => `${source.context}/${source.dockerfile}`)
					.join(', ')}${phaseOf(chosen.context) > 0 ? ` (the latest phase, ${phaseOf(chosen.context)})` : ''}.`,
			);
		}
	}

	if (!charts[0]) {
		notes.push('No Helm chart (Chart.yaml) found: todo-deploy can use the chart it ships (charts/todo-app).');
	} else if (charts.length > 1) {
		notes.push(`chart: ${charts[0]} chosen over ${charts.slice(1).join(', ')}.`);
	}

	return {backend, frontend: frontends[0], chart: charts[0], candidates: {backend: backends, frontend: frontends, charts}, notes};
}
