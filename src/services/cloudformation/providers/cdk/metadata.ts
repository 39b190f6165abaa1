/**
 * AWS::CDK::Metadata: the resource every CDK-synthesized stack carries (logical id `CDKMetadata`,
 * under a `CDKMetadataAvailable` region condition when the stack's region is not known at synthesis)
 * to report which CDK version and constructs built it. Real CloudFormation accepts it without a
 * schema and provisions nothing for it; so does Stratus: no service call, a stored resource whose
 * physical id is a fresh UUID (as AWS shows for it) and that has no Fn::GetAtt attributes.
 *
 * Its properties (`Analytics`, a compressed construct list; `Modules` in CDK v1 stacks) are not
 * validated: they change with every CDK upgrade, and such a change is an update in place.
 */
import { uuid } from "../../../../aws/ids.ts";
import type { ResourceProvider } from "../types.ts";

export const cdkMetadataProvider: ResourceProvider = {
  async create() {
    return { physicalId: uuid(), attributes: {} };
  },
  async update(_context, current) {
    return { physicalId: current.physicalId, attributes: {} };
  },
  async delete() {
    // Nothing was provisioned.
  },
};
