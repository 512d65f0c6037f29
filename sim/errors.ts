/** An error the simulator answers with: `{"__type": type, "message": message}` and an HTTP status. */
export class SimError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Thrown into a deployment's run when it is stopped or the simulator shuts down; never reaches a client. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}
