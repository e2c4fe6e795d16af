// Every command, in the order --help lists them.
import type {Command} from '../command-kit/command.js';
import {bundleCommand} from './bundle.js';
import {deployCommand} from './deploy.js';
import {discoverCommand} from './discover.js';
import {doctorCommand} from './doctor.js';
import {downCommand} from './down.js';
import {buildCommand, loadCommand, scanCommand} from './images.js';
import {installCommand} from './install.js';
import {lintCommand} from './lint.js';
import {openCommand} from './open.js';
import {statusCommand} from './status.js';
import {devCommand, upCommand} from './up.js';
import {verifyCommand} from './verify.js';

export const commands = [
	upCommand,
	devCommand,
	doctorCommand,
	discoverCommand,
	buildCommand,
	loadCommand,
	scanCommand,
	deployCommand,
	verifyCommand,
	downCommand,
	lintCommand,
	statusCommand,
	openCommand,
	installCommand,
	bundleCommand,
] as unknown as readonly Command[];
