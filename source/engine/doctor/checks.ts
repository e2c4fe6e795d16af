// The doctor's checks as data: each finds facts through an adapter and says what they mean for the user.
import {clusterCheck} from './check-cluster.js';
import {dockerCheck} from './check-docker.js';
import {kvm2Check, platformCheck} from './check-machine.js';
import {helmCheck, kindCheck, kubectlCheck, minikubeCheck, trivyCheck} from './check-tools.js';

export type {Check} from './check.js';

export const doctorChecks = [platformCheck, dockerCheck, kvm2Check, minikubeCheck, kindCheck, kubectlCheck, clusterCheck, helmCheck, trivyCheck] as const;
