// `weir ARGS` run in this process through cli/entry.ts's main, its output captured: the
// CLI's answers without the cost of starting Node for each.
import { main } from '../../cli/entry.ts';

export async function weir(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}
