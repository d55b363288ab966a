import { type Declaration, resolveDeclaration } from '../../catalog';
import type { SourceDocument } from './documents';

/**
 * The ESO objects the library synthesizes from `declaration`, as documents of their output files
 * (`cluster-secret-store.yaml`, `externalsecrets-<namespace>.yaml`). Renders in memory; cdk8s is
 * loaded only here, so the other commands do not pay for it.
 */
export async function synthesizeEsoDocuments(declaration: Declaration): Promise<SourceDocument[]> {
  const [{ App }, { addEsoCharts }] = await Promise.all([import('cdk8s'), import('../../k8s')]);
  const app = new App();
  addEsoCharts(app, resolveDeclaration(declaration));
  return app.charts.flatMap((chart) => chart.toJson().map((value: unknown, index: number) => ({ file: `${chart.node.id}.yaml`, document: index + 1, value })));
}
