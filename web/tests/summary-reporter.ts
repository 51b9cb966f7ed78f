import type { File, Reporter, Task, Vitest } from 'vitest';

/**
 * Prints one plain closing line, e.g. `unit: 12 passed, 0 failed` (`, 1 skipped` when any), so that CI logs
 * read the same whatever runner produced them. A file or suite that failed outside any test (an import error,
 * a failing beforeAll) counts as one failure, and so does each unhandled error.
 */
export default class SummaryReporter implements Reporter {
  private label = 'unit';

  onInit(ctx: Vitest): void {
    const include = ctx.config.include ?? [];
    this.label = include.some((glob) => glob.startsWith('e2e')) ? 'e2e' : 'unit';
  }

  onFinished(files: File[] = [], errors: unknown[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task): boolean => {
      if (task.type === 'suite') {
        let childFailed = false;
        for (const child of task.tasks) childFailed = visit(child) || childFailed;
        if (task.result?.state === 'fail' && !childFailed) {
          counts.failed += 1;
          return true;
        }
        return childFailed;
      }
      if (task.mode === 'skip' || task.mode === 'todo' || task.result?.state === 'skip') {
        counts.skipped += 1;
        return false;
      }
      if (task.result?.state === 'pass') {
        counts.passed += 1;
        return false;
      }
      counts.failed += 1; // 'fail', or never ran although it was meant to
      return true;
    };
    for (const file of files) visit(file);
    counts.failed += errors.length;
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
    process.stdout.write(`\n${this.label}: ${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
  }
}
