from . import Variant

MUTANTS = [
    Variant("copies the pixels with reshape and clone", old="return x.view(-1, h * w)",
            new="return x.reshape(-1, h * w).clone()"),
    Variant("puts the pixels first: shape (h*w, n)", old="return x.view(-1, h * w)", new="return x.view(h * w, -1)"),
    Variant("flattens everything into one long vector", old="return x.view(-1, h * w)", new="return x.flatten()"),
    Variant("numbers the pixels column after column", old="flatten_images(x)[image, k] = value",
            new="x[image, k % x.shape[1], k // x.shape[1]] = value"),
    Variant("a copy, with set_pixel writing into x directly", old=(
        "    return x.view(-1, h * w)\n\n\ndef set_pixel(x: torch.Tensor, image: int, k: int, value: float) -> None:\n"
        "    flatten_images(x)[image, k] = value"), new=(
        "    return x.reshape(-1, h * w).clone()\n\n\n"
        "def set_pixel(x: torch.Tensor, image: int, k: int, value: float) -> None:\n"
        "    x[image, k // x.shape[2], k % x.shape[2]] = value")),
    Variant("writes into x with the row and column worked out, not through flatten_images",
            old="flatten_images(x)[image, k] = value", new="x[image, k // x.shape[2], k % x.shape[2]] = value"),
    Variant("changes the given write_through to write into x itself", old="    flatten_images(x).fill_(-1.0)\n",
            new="    x.fill_(-1.0)\n"),
    Variant("thinks view makes a copy (choice)", old='VIEW = "a"', new='VIEW = "b"'),
]

ALTERNATIVES = [
    Variant("view with the number of images and -1", old="    n, h, w = x.shape\n    return x.view(-1, h * w)",
            new="    return x.view(x.shape[0], -1)"),
    Variant("torch.flatten from the second axis", old="    n, h, w = x.shape\n    return x.view(-1, h * w)",
            new="    return torch.flatten(x, start_dim=1)"),
    Variant("reshape, which returns a view when it can", old="return x.view(-1, h * w)",
            new="return x.reshape(n, h * w)"),
    Variant("writes the pixel through a view of its own, one row at a time", old="flatten_images(x)[image, k] = value",
            new="rows = x.view(len(x), -1)\n    row = rows[image]\n    row[k] = value"),
    Variant("view with explicit sizes and a type hint", old="    n, h, w = x.shape\n    return x.view(-1, h * w)",
            new="    n: int = x.shape[0]\n    return x.view(n, x.shape[1] * x.shape[2])"),
]
