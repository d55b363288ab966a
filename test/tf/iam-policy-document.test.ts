import { IamPolicyDocument } from '../../lib/tf/iam-policy-document';
import { userErrorOf } from '../support/user-error';

describe('IamPolicyDocument', () => {
  test('renders statements with Allow as the default effect and principals only when given', () => {
    // GIVEN
    const document = new IamPolicyDocument([
      { sid: 'Admin', awsPrincipals: ['arn:aws:iam::111122223333:root'], actions: ['kms:*'], resources: ['*'] },
      { sid: 'NoDelete', effect: 'Deny', actions: ['kms:ScheduleKeyDeletion'], resources: ['*'] },
    ]);

    // WHEN
    const json = document.toJson();

    // THEN
    expect(JSON.parse(json)).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: ['kms:*'], Resource: ['*'] },
        { Sid: 'NoDelete', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion'], Resource: ['*'] },
      ],
    });
  });

  test.each([
    [[], 'IamPolicyDocument: statements [] must hold at least one statement'],
    [[{ sid: 'a-b', actions: ['kms:Decrypt'], resources: ['*'] }], 'IamPolicyDocument: sid "a-b" must be alphanumeric'],
    [[{ sid: 'A', actions: ['kms:Decrypt'], resources: ['*'] }, { sid: 'A', actions: ['kms:Encrypt'], resources: ['*'] }], 'IamPolicyDocument: sid "A" is used twice'],
    [[{ sid: 'A', actions: [], resources: ['*'] }], 'IamPolicyDocument statement "A": actions [] must name at least one action'],
    [[{ sid: 'A', actions: ['kms:Decrypt'], resources: [] }], 'IamPolicyDocument statement "A": resources [] must name at least one resource'],
  ])('refuses %j', (statements, message) => {
    // GIVEN / WHEN / THEN
    expect(userErrorOf(() => new IamPolicyDocument(statements))).toStrictEqual([message]);
  });
});
