/** What a node of a {@link Queue} carries: its links, owned by the queue. @internal */
export interface QueueNode<N> {
  prev: N | undefined;
  next: N | undefined;
  /** True while the node is in a queue. */
  queued: boolean;
}

/**
 * A FIFO of intrusive nodes (a doubly linked list threaded through the nodes themselves):
 * push, shift and removing any node are O(1) and allocate nothing. A node is in at most one
 * queue at a time. @internal
 */
export class Queue<N extends QueueNode<N>> {
  private first: N | undefined = undefined;
  private last: N | undefined = undefined;
  /** Nodes in the queue. */
  length = 0;

  /** Appends `node` (which must not be queued). */
  push(node: N): void {
    node.prev = this.last;
    node.next = undefined;
    node.queued = true;
    if (this.last === undefined) this.first = node;
    else this.last.next = node;
    this.last = node;
    this.length++;
  }

  /** Removes and returns the oldest node, or `undefined` when the queue is empty. */
  shift(): N | undefined {
    const node = this.first;
    if (node !== undefined) this.unlink(node);
    return node;
  }

  /** Removes `node` wherever it stands; false (doing nothing) when it is not queued. */
  remove(node: N): boolean {
    if (!node.queued) return false;
    this.unlink(node);
    return true;
  }

  private unlink(node: N): void {
    if (node.prev === undefined) this.first = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.last = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = undefined;
    node.queued = false;
    this.length--;
  }
}
