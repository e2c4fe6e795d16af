// The baseline: the smallest Ink app, one line of text.
import {render, Text} from 'ink';

render(<Text>Hello from Ink</Text>).unmount();
