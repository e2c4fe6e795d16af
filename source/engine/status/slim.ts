// What the status screen keeps of each object: only what the screen and the diagnosis read, so that
// thousands of pods stay small. managedFields (often the largest part), annotations, env, commands,
// mounts and security settings are dropped.
import type {KubernetesObject, V1Container, V1Pod} from '@kubernetes/client-node';

const container = (entry: V1Container): V1Container => ({
	name: entry.name,
	image: entry.image,
	imagePullPolicy: entry.imagePullPolicy,
	ports: entry.ports,
	resources: entry.resources,
	livenessProbe: entry.livenessProbe,
	readinessProbe: entry.readinessProbe,
	startupProbe: entry.startupProbe,
});

export function slimObject<T extends KubernetesObject>(object: T): T {
	if (!object.metadata) {
		return object;
	}

	const {managedFields: _managed, annotations: _annotations, ...metadata} = object.metadata;
	if (object.kind !== 'Pod' && !('spec' in object && (object as V1Pod).spec?.containers)) {
		return {...object, metadata};
	}

	const pod = object as V1Pod;
	const spec = pod.spec
		? {
				containers: pod.spec.containers.map(entry => container(entry)),
				...(pod.spec.initContainers ? {initContainers: pod.spec.initContainers.map(entry => container(entry))} : {}),
				nodeName: pod.spec.nodeName,
				terminationGracePeriodSeconds: pod.spec.terminationGracePeriodSeconds,
				...(pod.spec.volumes
					? {
							volumes: pod.spec.volumes
								.filter(volume => volume.persistentVolumeClaim)
								.map(volume => ({name: volume.name, persistentVolumeClaim: volume.persistentVolumeClaim})),
						}
					: {}),
			}
		: undefined;
	return {...object, metadata, ...(spec ? {spec} : {})} as T;
}
