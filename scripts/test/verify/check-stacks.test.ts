import { StackStatus } from '@aws-sdk/client-cloudformation';
import { isDeployedStatus } from '../../verify/check-stacks';

describe('isDeployedStatus', () => {
  test('accepts exactly the completed states that are neither a rollback nor a deletion', () => {
    // GIVEN every state the SDK knows
    const states = Object.values(StackStatus);
    // WHEN
    const deployed = states.filter(isDeployedStatus);
    // THEN
    expect(deployed.sort()).toEqual(['CREATE_COMPLETE', 'IMPORT_COMPLETE', 'UPDATE_COMPLETE']);
    expect(states).toEqual(
      expect.arrayContaining(['UPDATE_ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE', 'DELETE_COMPLETE']),
    );
  });
});
