import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { compatibleRange, requireCompatibleProvider } from '../../lib/tf/provider-range';

describe('requireCompatibleProvider', () => {
  test('replaces the exact release cdktf writes with the range of its major version', () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), 'kms');
    const provider = new AwsProvider(stack, 'aws', { region: 'eu-central-1' });

    // WHEN
    const range = requireCompatibleProvider(stack, provider);

    // THEN
    expect(provider.terraformGeneratorMetadata?.providerVersion).toMatch(/^6\.\d+\.\d+$/);
    expect(range).toBe('~> 6.0');
    expect(JSON.parse(Testing.synth(stack)).terraform.required_providers).toStrictEqual({ aws: { source: 'aws', version: '~> 6.0' } });
  });

  test.each([
    ['5.6.0', '~> 5.0'],
    ['10.0.1', '~> 10.0'],
  ])('compatibleRange(%j) is %j', (version, range) => {
    // GIVEN / WHEN / THEN
    expect(compatibleRange(version)).toBe(range);
  });

  test('refuses a version without a major number', () => {
    // GIVEN / WHEN / THEN
    expect(() => compatibleRange('latest')).toThrow('provider version "latest" must start with a major version number');
  });
});
