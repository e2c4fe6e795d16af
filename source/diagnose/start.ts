// Pure: why an app cannot start in its pod, read from its last log lines. First what the chart's
// strict defaults (a non-root UID, a read-only root filesystem, no capabilities) refuse it: a cache, a
// folder or a file it writes, a port below 1024; then what the image lacks: the module uvicorn
// imports, the build next start serves; and PostgreSQL's own refusal of data from another major
// version. Each fix names the chart value that opens the way when the pod is todo-deploy's chart's.
// A table of rules, each fired by a captured real log.
import path from 'node:path';
import type {V1Pod} from '@kubernetes/client-node';
import {firstRule, type Rule} from './rules.js';

export type StartKind = 'npm-cache' | 'read-only' | 'not-writable' | 'low-port' | 'asgi-import' | 'next-build' | 'database-version';

export type StartCause = {
	readonly kind: StartKind;
	readonly line: string;
	readonly title: string;
	readonly explanation: string;
	readonly fix: string;
	/** The module uvicorn could not import (asgi-import). */
	readonly module?: string | undefined;
};

/** What the pod gives the container: todo-deploy's chart's side, if it is that chart's; its UID; its writable folders. */
export type StartPod = {
	readonly side: 'backend' | 'frontend' | undefined;
	readonly uid: number | undefined;
	readonly readOnlyRoot: boolean;
	readonly writable: readonly string[];
};

type StartInput = {readonly line: string; readonly pod: StartPod};
type Said = Omit<StartCause, 'line'>;

const found =
	(regex: RegExp) =>
	({line}: StartInput): RegExpExecArray | undefined =>
		regex.exec(line) ?? undefined;

/** The first group that matched. */
const first = (match: RegExpExecArray): string => match.slice(1).find((group: string | undefined) => group !== undefined) ?? '';

/** The folder a path names: a file's folder (a name with an extension), else the path itself. */
function folderOf(written: string): string {
	const trimmed = written.replace(/\/+$/, '') || '/';
	return /\.[\w-]{1,8}$/.test(path.posix.basename(trimmed)) ? path.posix.dirname(trimmed) : trimmed;
}

const userWords = (pod: StartPod) => (pod.uid === undefined ? 'a non-root user' : `UID ${pod.uid}`);

/** The value that mounts one more writable folder, with those the pod already has. */
function writablePathsFix(pod: StartPod, folder: string): string {
	const absolute = folder.startsWith('/');
	if (!pod.side) {
		return `Mount a writable folder there: an emptyDir volume with a volumeMount at ${absolute ? folder : "that folder (under the container's working directory)"} in the chart's pod template.`;
	}

	const paths = [...new Set([...pod.writable, ...(absolute ? [folder] : [])])];
	return `Mount a writable folder there: --set '${pod.side}.writablePaths={${paths.join(',')}${absolute ? '' : ',/WORKDIR/…'}}' (an emptyDir each${absolute ? '' : '; give the folder as the image has it, under its WORKDIR'}). An emptyDir starts empty with each pod: keep what must last in the database or on a PersistentVolumeClaim.`;
}

export const startRules: ReadonlyArray<Rule<StartInput, RegExpExecArray, Said>> = [
	{
		// npm writes its cache and its logs under HOME before it runs any script.
		id: 'npm-cache',
		fixture: 'app-logs/npm-erofs-cache-read-only-root.txt',
		matches: found(
			/EROFS: read-only file system, \w+ '([^']*\/\.npm)(?:\/[^']*)?'|Log files were not written due to an error writing to the directory: (\S*\/\.npm)\/_logs/,
		),
		says: (match, {pod}) => {
			const cache = first(match);
			return {
				kind: 'npm-cache',
				title: `npm cannot write its cache in ${cache} (the root filesystem is read-only)`,
				explanation: `The app starts through npm (npm start or npm run), and npm writes its cache and its logs under HOME (${cache}) before it runs the script. The pod's root filesystem is read-only, a restricted default, so npm stops before the app starts.`,
				fix: pod.side
					? `Give npm a writable cache: --set ${pod.side}.env.npm_config_cache=/tmp/.npm (/tmp is writable in the chart). todo-deploy sets it itself when the Dockerfile's CMD starts with npm; this image starts it another way (an entrypoint script). Or start the app with node itself (CMD ["node", "server.js"]), which needs no cache.`
					: 'Give npm a writable cache: the environment variable npm_config_cache=/tmp/.npm with an emptyDir mounted at /tmp. Or start the app with node itself (CMD ["node", "server.js"]), which needs no cache.',
			};
		},
	},
	{
		id: 'read-only',
		fixture: 'app-logs/python-errno-30-read-only-log-file-EXCERPT.txt',
		matches: found(
			/EROFS: read-only file system, \w+ '([^']+)'|\[Errno 30\] Read-only file system: '([^']+)'|mkdir\(\) "([^"]+)" failed \(30: Read-only file system\)|(?:can't create|cannot create|touch: cannot touch) '?([^':\s]+)'?: Read-only file system/,
		),
		says: (match, {pod}) => {
			const written = first(match);
			const folder = folderOf(written);
			return {
				kind: 'read-only',
				title: `it cannot write ${written}: the root filesystem is read-only`,
				explanation: `The pod runs the container with a read-only root filesystem (readOnlyRootFilesystem, a restricted default): only the folders mounted writable${pod.writable.length > 0 ? ` (${pod.writable.join(', ')})` : ''} take writes, and ${folder} is not one of them.${folder.startsWith('/') ? '' : " The path is relative: it lies under the container's working directory."}`,
				fix: `${writablePathsFix(pod, folder)} If ${folder} is the folder of the app's own code, mounting over it hides the code: make the app write elsewhere (under /tmp, or a folder a setting names).`,
			};
		},
	},
	{
		id: 'low-port',
		fixture: 'app-logs/node-listen-eacces-port-80.txt',
		matches: ({line}) => {
			const match =
				/listen EACCES:? (?:permission denied )?[\w.:[\]]*:(\d+)|error while attempting to bind on address \('[^']*', (\d+)\): permission denied|bind\(\) to [\w.:[\]]+:(\d+) failed \(13: Permission denied\)|could not bind to address [\w.:[\]]+:(\d+)/.exec(
					line,
				);
			return match && Number(first(match)) < 1024 ? match : undefined;
		},
		says: (match, {pod}) => {
			const port = first(match);
			return {
				kind: 'low-port',
				title: `it may not listen on port ${port}: a port below 1024 needs root`,
				explanation: `The pod runs the app as ${userWords(pod)} with every capability dropped, and Linux lets only root bind a port below 1024, unless the pod's net.ipv4.ip_unprivileged_port_start allows it.`,
				fix: pod.side
					? `Make the app listen on a port from 1024 up (uvicorn --port 8000, PORT=3000 for Node); the chart's port follows what the Dockerfile says. Or let it bind ${port}: --set ${pod.side}.unprivilegedPortStart=${port} --set ${pod.side}.port=${port} (a safe pod sysctl; todo-deploy sets it itself when it knows the app listens on ${port}).`
					: `Make the app listen on a port from 1024 up, or add the sysctl net.ipv4.ip_unprivileged_port_start=${port} to the pod's securityContext (a safe sysctl).`,
			};
		},
	},
	{
		id: 'not-writable',
		fixture: 'app-logs/node-eacces-mkdir-data-upload.txt',
		matches: found(
			/EACCES: permission denied, (?:mkdir|open|scandir|unlink|rename|copyfile|access|rmdir) '([^']+)'|\[Errno 13\] Permission denied: '([^']+)'|cannot create directory ['‘]([^'’]+)['’]: Permission denied|mkdir ([^:\s]+): permission denied/,
		),
		says: (match, {pod}) => {
			const written = first(match);
			const folder = folderOf(written);
			const uid = pod.uid ?? 'UID';
			return {
				kind: 'not-writable',
				title: `it may not write ${written} (permission denied)`,
				explanation: `The pod runs the app as ${userWords(pod)}, never root, and ${folder} belongs to another user: what a Dockerfile COPYs or creates is root's unless it says otherwise, and a volume keeps the owner it was made with.`,
				fix: `If the app writes there at run time, ${writablePathsFix(pod, folder).replace(/^Mount/, 'mount')} If the folder must come from the image, give it to the pod's user in the Dockerfile (COPY --chown=${uid}:${uid} …, or RUN mkdir -p ${folder} && chown -R ${uid} ${folder})${pod.side ? `, or run as the image's own user: --set ${pod.side}.uid=N` : ''}.`,
			};
		},
	},
	{
		id: 'asgi-import',
		fixture: 'app-logs/uvicorn-could-not-import-module-main.txt',
		matches: found(/Error loading ASGI app\. Could not import module "([^"]+)"/),
		says: ([, module = 'main']) => ({
			kind: 'asgi-import',
			module,
			title: `uvicorn cannot import the module "${module}"`,
			explanation: `uvicorn looks for ${module.replaceAll('.', '/')}.py (or a package of that name) in its working directory, the image's WORKDIR (or --app-dir). It is not there: the Dockerfile copied the code into another folder (COPY ./app /code/app makes the module app.main), the WORKDIR differs from where the code lies, or .dockerignore left the file out.`,
			fix: `See where the file lies in the image: docker run --rm --entrypoint sh IMAGE -c 'pwd; ls -R | head -40'. Then name the module as it lies under the WORKDIR (uvicorn app.main:app) or give --app-dir; todo-deploy lint compares the CMD with the Dockerfile's WORKDIR and COPY lines before a deploy.`,
		}),
	},
	{
		id: 'next-build',
		fixture: 'app-logs/nextjs-no-production-build.txt',
		matches: found(/Could not find a (?:production|valid) build in the '([^']+)' directory/),
		says: ([, folder = '.next']) => ({
			kind: 'next-build',
			title: `next start finds no production build in ${folder}`,
			explanation: `next start serves what next build made in .next, and this image has none: its Dockerfile runs no next build (npm run build) in the stage that becomes the image, the last stage does not COPY .next from the build stage, or the build ran on the host and .dockerignore leaves .next out.`,
			fix: 'Build inside the image: RUN npm run build after the COPY of the code (in the last stage, or COPY --from=BUILD /app/.next ./.next into it), then todo-deploy up; todo-deploy lint checks the Dockerfile for it. A development image runs next dev instead of next start.',
		}),
	},
	{
		id: 'database-version',
		fixture: 'app-logs/postgres-database-files-incompatible.txt',
		matches: found(
			/The data directory was initialized by PostgreSQL version ([\d.]+), which is not compatible with this version ([\d.]+)|(database files are incompatible with server)/,
		),
		says: ([, old, current]) => {
			const made = old ? `PostgreSQL ${old}` : 'another major version of PostgreSQL';
			return {
				kind: 'database-version',
				title: `PostgreSQL${current ? ` ${current}` : ''} will not start on data made by ${made}`,
				explanation: `The database's volume keeps the files of an earlier install, made by ${made}; this image is ${current ? `version ${current}` : 'another major version'}, and PostgreSQL opens only its own major version's files. Nothing is lost: the data is still in the volume.`,
				fix: `Either go back to the image that made the data: --set postgresql.image.tag=${old ?? 'OLD'}-alpine (the app works as before). Or move the data: with that image running, kubectl exec POD -- pg_dumpall -U USER > todo-dump.sql; then todo-deploy down --delete-data, deploy the new image, and kubectl exec -i POD -- psql -U USER < todo-dump.sql. todo-deploy never deletes the data for you.`,
			};
		},
	},
];

/** What the pod gives the container: its side in todo-deploy's chart, its UID, its writable folders. */
export function startPod(pod: V1Pod, container: string): StartPod {
	const labels = pod.metadata?.labels ?? {};
	const component = labels['app.kubernetes.io/component'];
	const ours = (labels['helm.sh/chart'] ?? '').startsWith('todo-app-');
	const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(candidate => candidate.name === container);
	return {
		side: ours && (component === 'backend' || component === 'frontend') ? component : undefined,
		uid: spec?.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser,
		readOnlyRoot: spec?.securityContext?.readOnlyRootFilesystem === true,
		writable: (spec?.volumeMounts ?? []).filter(mount => mount.readOnly !== true).map(mount => mount.mountPath),
	};
}

/** The start cause of the last line that has one. */
export function startCause(lines: readonly string[], pod: StartPod): StartCause | undefined {
	for (const line of [...lines].reverse()) {
		const matched = firstRule(startRules, {line, pod});
		if (matched) {
			return {...matched.said, line};
		}
	}

	return undefined;
}
