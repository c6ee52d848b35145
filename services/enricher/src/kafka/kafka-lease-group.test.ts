import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { leasePartition, moduloAssigner } from './kafka-lease-group.js';

describe('leasePartition', () => {
  it('maps Kinesis shard numbers in order, so consecutive shards differ', () => {
    expect(
      ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000063', 'shardId-000000000064'].map(
        (id) => leasePartition(id, 64),
      ),
    ).toEqual([0, 1, 63, 0]);
  });

  it('hashes any other id to a stable partition in range', () => {
    const partition = leasePartition('not-a-kinesis-id', 7);
    expect(partition).toBe(leasePartition('not-a-kinesis-id', 7));
    expect(partition).toBeGreaterThanOrEqual(0);
    expect(partition).toBeLessThan(7);
  });
});

describe('moduloAssigner', () => {
  // Partitions listed out of order, as broker metadata may list them.
  const partitions = [5, 0, 3, 1, 4, 2].map((partitionId) => ({ partitionId }));
  const cluster = { findTopicPartitionMetadata: () => partitions } as unknown as Cluster;
  const assigner = moduloAssigner({ cluster, groupId: 'g', logger: {} as Logger });

  it('gives partition p to the (p mod n)-th member in member-id order', async () => {
    const members = ['m-c', 'm-a', 'm-b'].map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) }));
    const assignment = await assigner.assign({ members, topics: ['leases'] });
    const decoded = Object.fromEntries(
      assignment.map(({ memberId, memberAssignment }) => [
        memberId,
        AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment.leases,
      ]),
    );
    expect(decoded).toEqual({ 'm-a': [0, 3], 'm-b': [1, 4], 'm-c': [2, 5] });
  });

  it('gives a lone member everything', async () => {
    const [only] = await assigner.assign({
      members: [{ memberId: 'solo', memberMetadata: Buffer.alloc(0) }],
      topics: ['leases'],
    });
    expect(
      AssignerProtocol.MemberAssignment.decode(only?.memberAssignment ?? Buffer.alloc(0))?.assignment,
    ).toEqual({
      leases: [0, 1, 2, 3, 4, 5],
    });
  });
});
