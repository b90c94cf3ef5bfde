// region: hello
console.log("Hello, world!");
// endregion
