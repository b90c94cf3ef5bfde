# region: hello
print("Hello, world!")
# endregion
