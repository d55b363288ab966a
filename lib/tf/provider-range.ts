import type { TerraformProvider, TerraformStack } from 'cdktf';

/** `~> <major>.0`: any release of the same major version, the one the bindings were generated for. */
export function compatibleRange(version: string): string {
  const major = /^(\d+)\./.exec(version)?.[1];
  if (major === undefined) throw new Error(`provider version "${version}" must start with a major version number`);
  return `~> ${major}.0`;
}

/**
 * cdktf writes the exact release the bindings were generated from into `required_providers`
 * (`version = "5.6.0"`), so a user with a newer provider release could not init. This widens it to
 * the compatible range of that major version and returns the range.
 */
export function requireCompatibleProvider(stack: TerraformStack, provider: TerraformProvider): string {
  const version = provider.terraformGeneratorMetadata?.providerVersion;
  if (version === undefined) throw new Error(`provider "${provider.terraformResourceType}" has no generated version`);
  const range = compatibleRange(version);
  stack.addOverride(`terraform.required_providers.${provider.terraformResourceType}.version`, range);
  return range;
}
