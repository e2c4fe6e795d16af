// The doctor's recommendation: the path that will work here and why, what to install, and why not the
// others.
import {Box, Text} from 'ink';
import type {Recommendation} from '../engine/doctor/types.js';
import {commandLines, targetNames} from '../render/format.js';

function Commands({commands}: {readonly commands: readonly string[]}) {
	return (
		<Box flexDirection="column" marginLeft={2}>
			{commandLines(commands).map(line => (
				<Text key={line} color="cyan">
					{line}
				</Text>
			))}
		</Box>
	);
}

export function RecommendationPanel({recommendation}: {readonly recommendation: Recommendation}) {
	const {target, command, install, fixes, rejected, pathSetup} = recommendation;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Box flexDirection="column" borderStyle="round" borderColor={target ? 'green' : 'red'} paddingX={1}>
				{target && command ? (
					<>
						<Text bold color="green">
							Recommended: {targetNames[target]}
						</Text>
						<Text wrap="wrap">{recommendation.why}</Text>
						{install.length > 0 ? (
							<Box flexDirection="column" marginTop={1}>
								<Text bold>
									1. Install {install.map(step => `${step.tool} ${step.version}`).join(', ')} <Text dimColor>(no sudo, checksum-verified)</Text>
								</Text>
								<Commands commands={[recommendation.installCommand ?? '']} />
								{pathSetup ? (
									<>
										<Text>
											{' '}
											and put the tools folder on PATH <Text dimColor>(now and for new shells)</Text>
										</Text>
										<Commands commands={[pathSetup]} />
									</>
								) : null}
							</Box>
						) : null}
						<Box marginTop={1} flexDirection="column">
							<Text bold>{install.length > 0 ? '2. Then run' : 'Run'}</Text>
							<Commands commands={[command]} />
						</Box>
					</>
				) : (
					<>
						<Text bold color="red">
							Nothing can run a cluster here yet
						</Text>
						<Text wrap="wrap">{recommendation.why}</Text>
						<Text bold>Fix, in this order:</Text>
						{fixes.map((fix, index) => (
							<Text key={fix} color="cyan" wrap="wrap">
								{index + 1}. {fix}
							</Text>
						))}
					</>
				)}
			</Box>
			{rejected.length > 0 ? (
				<Box flexDirection="column" paddingX={1}>
					<Text dimColor>Other paths:</Text>
					{rejected.map(item => (
						<Box key={item.target} marginLeft={2}>
							<Box flexShrink={0} width={18}>
								<Text dimColor>{item.target}</Text>
							</Box>
							<Box flexShrink={1}>
								<Text dimColor wrap="wrap">
									{item.why}
								</Text>
							</Box>
						</Box>
					))}
				</Box>
			) : null}
		</Box>
	);
}
