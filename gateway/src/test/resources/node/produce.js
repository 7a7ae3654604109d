// Produces one CreateCluster command the way a Node.js service would: the schema comes from the
// Coxswain gateway's Confluent-compatible registry endpoint, the record goes straight to Kafka.
// usage: node produce.js BROKER REGISTRY_URL TOPIC SUBJECT CLUSTER_ID COMMAND_ID
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

const [broker, registryUrl, topic, subject, clusterId, commandId] = process.argv.slice(2);

async function main() {
  const registry = new SchemaRegistry({ host: registryUrl });
  // what use.latest.version=true + auto.register.schemas=false does in Confluent's serializers
  const id = await registry.getLatestSchemaId(subject);
  const value = await registry.encode(id, {
    commandId,
    clusterId,
    expectedVersion: null,
    issuer: 'node-billing-svc',
    issuedAt: Date.now(),
    signature: null,
    payload: {
      'io.coxswain.avro.command.CreateCluster': {
        kafkaVersion: '4.1.0', controllers: 3, brokers: 3,
        storage: { size: '10Gi', storageClass: null },
        brokerConfig: {}, image: null, rackAware: false, externalAccess: 'NONE',
      },
    },
  });
  const kafka = new Kafka({ clientId: 'coxswain-node-test', brokers: [broker], logLevel: logLevel.WARN });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: clusterId, value }] });
  await producer.disconnect();
  console.log(`produced command ${commandId} with schema id ${id}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
