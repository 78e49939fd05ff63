from . import Variant

MUTANTS = [
    Variant("drops the last, smaller batch", old="for start in range(0, n, batch_size):",
            new="for start in range(0, n - batch_size + 1, batch_size):"),
    Variant("samples rows with replacement, so some repeat", old="torch.randperm(n, generator=generator)",
            new="torch.randint(n, (n,), generator=generator)"),
    Variant("shuffles x and y with different permutations", old=(
        "    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)\n"
        "    batches = []\n"
        "    for start in range(0, n, batch_size):\n"
        "        idx = order[start:start + batch_size]\n"
        "        batches.append((x[idx], y[idx]))"
    ), new=(
        "    x_order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)\n"
        "    y_order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)\n"
        "    batches = []\n"
        "    for start in range(0, n, batch_size):\n"
        "        batches.append((x[x_order[start:start + batch_size]], y[y_order[start:start + batch_size]]))"
    )),
    Variant("shuffles with the global random state, ignoring the seed",
            old="torch.randperm(n, generator=generator)", new="torch.randperm(n)"),
    Variant("seeds the global generator, then shuffles with it", old="torch.randperm(n, generator=generator)",
            new="(torch.manual_seed(seed), torch.randperm(n))[1]"),
    Variant("seeds numpy's global generator in a helper", old=(
        "def minibatches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = False, seed: int = 0) "
        "-> list:\n    n = len(x)\n    generator = torch.Generator().manual_seed(seed)\n"
        "    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)"), new=(
        "def _shuffled(n, seed):\n    import numpy as np\n    np.random.seed(seed)\n"
        "    return torch.from_numpy(np.random.permutation(n))\n\n\n"
        "def minibatches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = False, seed: int = 0) "
        "-> list:\n    n = len(x)\n    order = _shuffled(n, seed) if shuffle else torch.arange(n)")),
    Variant("an extra empty batch at the end", old="for start in range(0, n, batch_size):",
            new="for start in range(0, n + batch_size, batch_size):"),
    Variant("thinks a DataLoader reads the image files", old='DATALOADER = "c"', new='DATALOADER = "a"'),
    Variant("thinks the DataLoader splits train and valid", old='DATALOADER = "c"', new='DATALOADER = "b"'),
]

ALTERNATIVES = [
    Variant("numpy's generator for the permutation", old=(
        "    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)"
    ), new=(
        "    import numpy as np\n"
        "    order = torch.from_numpy(np.random.default_rng(seed).permutation(n)) if shuffle else torch.arange(n)"
    )),
    Variant("a list of (x, y) pairs, shuffled with random.Random and stacked back", old=(
        "    n = len(x)\n"
        "    generator = torch.Generator().manual_seed(seed)\n"
        "    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)\n"
        "    batches = []\n"
        "    for start in range(0, n, batch_size):\n"
        "        idx = order[start:start + batch_size]\n"
        "        batches.append((x[idx], y[idx]))\n"
        "    return batches"
    ), new=(
        "    import random\n"
        "    dataset = list(zip(x, y))\n"
        "    if shuffle:\n"
        "        random.Random(seed).shuffle(dataset)\n"
        "    batches = []\n"
        "    for start in range(0, len(dataset), batch_size):\n"
        "        chunk = dataset[start:start + batch_size]\n"
        "        batches.append((torch.stack([a for a, _ in chunk]), torch.stack([b for _, b in chunk])))\n"
        "    return batches"
    )),
    Variant("returns tuples of numpy arrays", old="batches.append((x[idx], y[idx]))",
            new="batches.append((x[idx].numpy(), y[idx].numpy()))"),
]
