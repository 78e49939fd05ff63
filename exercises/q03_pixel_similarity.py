"""Question 3: Classifying digits by pixel similarity (fastbook ch. 4, question 3).

The chapter's first classifier learns nothing: it averages the training 3s into one
"typical 3" image and the training 7s into a "typical 7", then calls a new digit a 3
when it is closer to the typical 3 than to the typical 7. "Closer" is measured pixel
by pixel: the mean of the absolute differences (the L1 distance).

Images are float tensors with values in [0, 1]; a stack of n images has shape
(n, height, width) (28 x 28 for MNIST). Use tensor operations, no Python loops needed.

Part 1. Write `mean_digit(images)`: the average image of a stack, shape (height, width).

Part 2. Write `predict_is_3(images, mean3, mean7)`: for a stack of n images, a boolean
tensor of shape (n,) that is True where the image's L1 distance to `mean3` is smaller
than its L1 distance to `mean7`.

    >>> predict_is_3(valid_3s[:4], mean_digit(train_3s), mean_digit(train_7s))
    tensor([True, True, True, True])

Part 3. Write `accuracy_on_valid(train_3, train_7, valid_3, valid_7)`: build the two
typical digits from the training stacks, and return `(accuracy on the valid 3s,
accuracy on the valid 7s)` as two numbers: the fraction of each stack that is classified
as the digit it really is.

Given: stacks of real 3s and 7s (and random images). Graded: your mean images; your
predictions for real and random images; and your two accuracies, against the chapter's.
"""
import torch


def mean_digit(images: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("average the stack of images into one image")


def predict_is_3(images: torch.Tensor, mean3: torch.Tensor, mean7: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("True where an image is closer (L1) to mean3 than to mean7")


def accuracy_on_valid(train_3: torch.Tensor, train_7: torch.Tensor,
                      valid_3: torch.Tensor, valid_7: torch.Tensor) -> tuple[float, float]:
    raise NotImplementedError("return (accuracy on the valid 3s, accuracy on the valid 7s)")


# Not graded: explain, in your own words, how the pixel-similarity approach classifies
# a digit.
EXPLAIN = """
"""
