// What a first deploy needs on both shipped stages (dev in a global region, liaoning in
// cn-north-1): resource ordering CloudFormation cannot infer, what the China partition and
// its services refuse, and run-time settings a template review would otherwise have to catch.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Built, build, resourcesOf } from './support.ts';

let dev: Built;
let liaoning: Built;
beforeAll(() => {
  dev = build('dev');
  liaoning = build('liaoning');
});

const both = () =>
  [
    ['dev', dev],
    ['liaoning', liaoning],
  ] as const;

describe('the API stage', () => {
  it('is created after every route its RouteSettings name', () => {
    for (const [name, built] of both()) {
      const template = built.statelessTemplate;
      const stages = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage'));
      expect(stages, name).toHaveLength(1);
      const stage = stages[0] as (typeof stages)[number];
      const settings = Object.keys((stage.Properties?.RouteSettings ?? {}) as Record<string, unknown>);
      expect(settings.length, name).toBeGreaterThan(0);
      const routeIds = new Map(
        Object.entries(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map(([id, r]) => [
          r.Properties?.RouteKey as string,
          id,
        ]),
      );
      const dependsOn = [stage.DependsOn ?? []].flat();
      for (const key of settings) {
        const routeId = routeIds.get(key);
        expect(routeId, `${name}: a route for ${key}`).toBeDefined();
        expect(dependsOn, `${name}: ${key}`).toContain(routeId);
      }
    }
  });
});
