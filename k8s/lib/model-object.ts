import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** A typed Kubernetes or CRD model (`kubernetes-models`, `@kubernetes-models/*`). */
export interface KubernetesModel {
  /** Throws when the object breaks its schema. */
  validate(): void;
  /** The manifest as plain data. */
  toJSON(): { apiVersion: string; kind: string; [key: string]: unknown };
}

/** Properties of a ModelObject. */
export interface ModelObjectProps {
  /** The object to emit; it is validated against its schema when the construct is created. */
  readonly model: KubernetesModel;
}

/**
 * Emits a typed model as a cdk8s ApiObject, so every object the charts write is typed at compile time
 * and schema-checked at synth time (a broken manifest fails `synth`, not `kubectl apply`).
 */
export class ModelObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ModelObjectProps) {
    props.model.validate();
    super(scope, id, props.model.toJSON());
  }
}
