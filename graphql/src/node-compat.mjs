// node-compat.mjs — imported first by every entry point (server.mjs, scripts/,
// the tests' schema printer).
//
// PostGraphile 5.1 declares node >= 22; this machine (and CI) has Node 20. The one
// newer API its code calls is Promise.withResolvers (Node 22; grafast, grafserv,
// @dataplan/pg), defined here by the specification's few lines when it is missing.
// On Node 22 and later this does nothing.
if (typeof Promise.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve, reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
