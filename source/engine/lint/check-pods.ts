// Images and pod security: tags and pull policies, and the restricted Pod Security Standard.
import {type Workload} from './objects.js';
import {allContainers, type Finding, type LintContext} from './finding.js';

function imageTag(image: string): string | undefined {
	const withoutDigest = image.split('@')[0] ?? image;
	const lastSlash = withoutDigest.lastIndexOf('/');
	const colon = withoutDigest.indexOf(':', lastSlash + 1);
	return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

export function checkImages(workload: Workload, context: LintContext): Finding[] {
	return allContainers(workload).flatMap(container => {
		const findings: Finding[] = [];
		const image = container.image ?? '';
		if (image.includes('@sha256:')) {
			return findings;
		}

		const tag = imageTag(image);
		if (!tag || tag === 'latest') {
			findings.push({
				severity: 'error',
				rule: 'image',
				object: workload.ref,
				container: container.name,
				message: `image ${image || '(none)'} has ${tag ? 'the tag latest' : 'no tag (so latest)'}: a rebuilt image never rolls out, and pods may keep running the old one`,
				fix: 'Use an exact tag: a version or the commit (todo-deploy build tags images by content).',
			});
		}

		const policy = container.imagePullPolicy ?? (!tag || tag === 'latest' ? 'Always' : 'IfNotPresent');
		if (context.target === 'local' && policy === 'Always') {
			findings.push({
				severity: 'error',
				rule: 'image',
				object: workload.ref,
				container: container.name,
				message: `imagePullPolicy ${container.imagePullPolicy ? 'Always' : 'defaults to Always for latest'}: an image loaded into minikube or kind is in no registry, so the pod fails with ErrImagePull`,
				fix: 'Use imagePullPolicy: IfNotPresent (and an exact tag) for images loaded into the cluster.',
			});
		}

		if (context.target === 'registry' && policy === 'Never') {
			findings.push({
				severity: 'error',
				rule: 'image',
				object: workload.ref,
				container: container.name,
				message: 'imagePullPolicy Never on a registry target: the node never pulls the image, so the pod fails with ErrImageNeverPull',
				fix: 'Use imagePullPolicy: IfNotPresent.',
			});
		}

		return findings;
	});
}

export function checkSecurity(workload: Workload): Finding[] {
	if (workload.hook) {
		return [];
	}

	const pod = workload.spec.securityContext ?? {};
	const findings: Finding[] = [];
	const restricted = (container: string | undefined, what: string, fix: string) =>
		findings.push({
			severity: 'warning',
			rule: 'restricted',
			object: workload.ref,
			container,
			message: `${what}: a namespace enforcing the "restricted" Pod Security Standard rejects the pod`,
			fix,
		});
	if (workload.spec.hostNetwork || workload.spec.hostPID || workload.spec.hostIPC) {
		restricted(undefined, 'the pod shares the host network, PID or IPC namespace', 'Remove hostNetwork, hostPID and hostIPC.');
	}

	if ((workload.spec.volumes ?? []).some(volume => volume.hostPath)) {
		restricted(undefined, 'a hostPath volume', 'Use an emptyDir or a PersistentVolumeClaim.');
	}

	for (const container of allContainers(workload)) {
		const own = container.securityContext ?? {};
		if (!(own.runAsNonRoot ?? pod.runAsNonRoot) || (own.runAsUser ?? pod.runAsUser) === 0) {
			restricted(container.name, 'it may run as root (runAsNonRoot is not true)', 'Set runAsNonRoot: true and a non-zero runAsUser.');
		}

		if (own.privileged) {
			restricted(container.name, 'it is privileged', 'Remove privileged: true.');
		}

		if (own.allowPrivilegeEscalation !== false) {
			restricted(container.name, 'allowPrivilegeEscalation is not false', 'Set allowPrivilegeEscalation: false.');
		}

		if (!(own.capabilities?.drop ?? []).includes('ALL')) {
			restricted(container.name, 'capabilities are not dropped (drop: [ALL])', 'Set capabilities.drop: ["ALL"].');
		}

		const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
		if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
			restricted(container.name, 'no seccomp profile (RuntimeDefault)', 'Set seccompProfile.type: RuntimeDefault on the pod.');
		}

		if (own.readOnlyRootFilesystem !== true) {
			findings.push({
				severity: 'warning',
				rule: 'hardening',
				object: workload.ref,
				container: container.name,
				message: "the root filesystem is writable: a compromised process can change the image's files",
				fix: 'Set readOnlyRootFilesystem: true and mount an emptyDir where the app writes (/tmp, caches).',
			});
		}

		const limits = container.resources?.limits ?? {};
		if (limits['memory'] === undefined || limits['cpu'] === undefined) {
			findings.push({
				severity: 'warning',
				rule: 'resources',
				object: workload.ref,
				container: container.name,
				message: `no ${limits['memory'] === undefined ? 'memory' : 'CPU'} limit: one leaking pod can starve the node (and minikube's small VM first)`,
				fix: 'Set resources.limits for cpu and memory (and requests).',
			});
		}
	}

	return findings;
}
